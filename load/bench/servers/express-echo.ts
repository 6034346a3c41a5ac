/**
 * Benchmark (2): the same JSON echo on a bare Express 5 app, the framework the carrier is built
 * on: the recharge path is judged against it.
 */
import { createServer } from 'node:http';
import express from 'express';
import { serveForBench } from './report-listening.ts';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json());
app.post('/', (req, res) => {
  res.json(req.body);
});
serveForBench(createServer(app));
