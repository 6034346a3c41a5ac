/**
 * Benchmark (1), the floor: a bare node:http server that parses a JSON body and answers it
 * back as JSON, as little work as a JSON API can do per request.
 */
import { createServer } from 'node:http';
import { serveForBench } from './report-listening.ts';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body: string;
    try {
      body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"invalid_json"}');
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
serveForBench(server);
