import { DEV_API_KEY } from '../tenants/tenant-keys.ts';
import { exampleOf } from './internal/schema-example.ts';
import { escapeHtml, schemaAnchor, schemaHtml } from './internal/schema-html.ts';
import type { OpenApiDocument, OpenApiOperation } from './openapi-document.ts';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operation: OpenApiOperation;
}

const accessLabels: Record<OpenApiOperation['x-access'], string> = {
  'api-key': 'API key',
  public: 'public',
  'control-plane': 'control plane',
};

/**
 * The offline API reference: one self-contained HTML page (inline CSS and script, no
 * CDN, no web fonts) rendered from the OpenAPI document, so it works without a network.
 */
export function renderApiReference(document: OpenApiDocument): string {
  const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
  );
  const byTag = document.tags.map((tag) => ({
    tag: tag.name,
    operations: operations.filter((o) => o.operation.tags.includes(tag.name)),
  }));
  const title = escapeHtml(document.info.title);
  const nav = byTag
    .map(
      ({ tag, operations: ops }) =>
        `<h3>${escapeHtml(tag)}</h3><ul>${ops
          .map(
            (o) =>
              `<li data-op="${escapeHtml(o.operation.operationId)}"><a href="#${escapeHtml(o.operation.operationId)}"><span class="m m-${o.method}">${o.method.toUpperCase()}</span> ${escapeHtml(o.path)}</a></li>`,
          )
          .join('')}</ul>`,
    )
    .join('');
  const sections = byTag
    .map(
      ({ tag, operations: ops }) =>
        `<section class="tag"><h2>${escapeHtml(tag)}</h2>${ops.map((o) => operationHtml(o, document)).join('')}</section>`,
    )
    .join('');
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) =>
        `<div class="schema" id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(schema)}</div>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${styles}</style>
</head>
<body>
<nav>
<h1>${title}</h1>
<p class="meta">OpenAPI ${escapeHtml(document.openapi)} · <a href="openapi.json">openapi.json</a></p>
<input id="filter" type="search" placeholder="Filter operations" autocomplete="off">
${nav}
<h3><a href="#schemas">Schemas</a></h3>
</nav>
<main>
<p class="intro">${escapeHtml(document.info.description)}</p>
<p class="intro">Examples use <code>$ESIMLAB_URL</code> for this carrier's address and the dev key <code>${DEV_API_KEY}</code>; control-plane calls also need <code>-H "X-Sim-Admin-Token: $ESIMLAB_ADMIN_TOKEN"</code> when the carrier has an admin token.</p>
${sections}
<section id="schemas"><h2>Schemas</h2>${schemas}</section>
</main>
<script>${script}</script>
</body>
</html>
`;
}

function operationHtml({ method, path, operation }: Operation, document: OpenApiDocument): string {
  const id = escapeHtml(operation.operationId);
  const search = escapeHtml(
    `${method} ${path} ${operation.operationId} ${operation.summary}`.toLowerCase(),
  );
  const parameters = operation.parameters.length
    ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${operation.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? '<span class="req">required</span>' : ''}</td><td>${p.in}</td><td>${schemaHtml(p.schema)}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = operation.requestBody
    ? `<h4>Request body${operation.requestBody.required ? '' : ' (optional)'}</h4>${Object.entries(
        operation.requestBody.content,
      )
        .map(
          ([type, { schema }]) =>
            `<p class="ct">${escapeHtml(type)}</p>${schemaHtml(schema, document.components.schemas)}`,
        )
        .join('')}`
    : '';
  const responses = `<h4>Responses</h4><ul class="responses">${Object.entries(operation.responses)
    .map(
      ([status, response]) =>
        `<li><span class="status s${status.charAt(0)}">${escapeHtml(status)}</span> ${escapeHtml(response.description)}${Object.entries(
          response.content ?? {},
        )
          .map(
            ([type, { schema }]) =>
              `<div class="content"><p class="ct">${escapeHtml(type)}</p>${schemaHtml(schema, document.components.schemas)}</div>`,
          )
          .join('')}</li>`,
    )
    .join('')}</ul>`;
  return `<article class="op" id="${id}" data-search="${search}">
<h3><span class="m m-${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code> <span class="access">${accessLabels[operation['x-access']]}</span></h3>
<p>${escapeHtml(operation.summary)} <span class="opid">${id}</span></p>
${parameters}${body}${responses}
<h4>Example</h4><pre class="curl"><button type="button" class="copy">Copy</button><code>${escapeHtml(curlExample(method, path, operation, document))}</code></pre>
</article>`;
}

/** A curl command for the operation, with example values from its schemas. */
function curlExample(
  method: string,
  path: string,
  operation: OpenApiOperation,
  document: OpenApiDocument,
): string {
  const url = path.replaceAll(/\{([a-zA-Z]+)\}/g, (_m, name: string) => `$${name.toUpperCase()}`);
  const lines = [`curl -sS -X ${method.toUpperCase()} "$ESIMLAB_URL${url}"`];
  if (operation['x-access'] === 'api-key') lines.push(`-H "Authorization: Bearer ${DEV_API_KEY}"`);
  if (operation.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) {
    lines.push('-H "Idempotency-Key: $(uuidgen)"');
  }
  const json = operation.requestBody?.content['application/json'];
  if (json) {
    const example = JSON.stringify(exampleOf(json.schema, document.components.schemas));
    lines.push('-H "Content-Type: application/json"');
    lines.push(`-d '${example.replaceAll("'", "'\\''")}'`);
  }
  return lines.join(' \\\n  ');
}

const styles = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#dde2ea;--bg:#f6f8fb;--accent:#2452c4}
*{box-sizing:border-box}
body{margin:0;display:flex;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
nav{width:300px;flex:none;height:100vh;position:sticky;top:0;overflow:auto;padding:16px;background:var(--bg);border-right:1px solid var(--line)}
nav h1{font-size:17px;margin:0 0 4px}nav h3{font-size:13px;text-transform:uppercase;color:var(--muted);margin:16px 0 4px}
nav ul{list-style:none;margin:0;padding:0}nav li a{display:block;padding:2px 0;font-size:13px;color:var(--fg);text-decoration:none;word-break:break-all}
nav li a:hover{color:var(--accent)}#filter{width:100%;padding:6px 8px;border:1px solid var(--line);border-radius:6px}
main{flex:1;min-width:0;padding:24px 40px;max-width:1100px}
.meta,.intro{color:var(--muted)}a{color:var(--accent)}
.tag>h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:40px}
.op{border:1px solid var(--line);border-radius:8px;padding:12px 18px;margin:18px 0}
.op h3{margin:4px 0;font-size:16px}.op h4{margin:14px 0 4px;font-size:14px}
.m{display:inline-block;min-width:54px;text-align:center;border-radius:4px;padding:0 6px;font:600 12px/20px ui-monospace,Menlo,Consolas,monospace;color:#fff;background:#777}
.m-get{background:#1f7a4d}.m-post{background:#2452c4}.m-patch{background:#a05a00}.m-put{background:#7a3fb0}.m-delete{background:#b3261e}
.path,code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.access{font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:10px;padding:0 8px;margin-left:6px}
.opid{color:var(--muted);font-size:12px;font-family:ui-monospace,Menlo,Consolas,monospace}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;border-bottom:1px solid var(--line);padding:4px 6px;vertical-align:top}
.props{margin:2px 0 2px 8px;padding-left:14px;border-left:1px solid var(--line);list-style:none}
.field{font-weight:600}.type{color:#6b3fa0}.constraints,.desc{color:var(--muted);font-size:13px}
.req{font-size:11px;color:#b3261e;margin-left:4px}.ct{margin:4px 0;font-size:12px;color:var(--muted)}
.responses{list-style:none;padding:0}.responses>li{margin:6px 0}
.status{display:inline-block;font:600 12px/18px ui-monospace,Menlo,monospace;padding:0 6px;border-radius:4px;background:#eee}
.s2{background:#d8f0e2}.s4{background:#fde2cf}.s5{background:#f8d3d0}
pre.curl{position:relative;background:#1d2330;color:#e8ecf3;padding:12px;border-radius:6px;overflow:auto}
.copy{position:absolute;top:6px;right:6px;font-size:11px;border:0;border-radius:4px;padding:2px 8px;cursor:pointer}
.schema{border-top:1px solid var(--line);padding:6px 0}.schema h3{margin:6px 0;font-size:15px}
.hidden{display:none}
@media (max-width:800px){body{display:block}nav{width:auto;height:auto;position:static}main{padding:16px}}
`;

// Filters operations as you type, fills in this server's address, and copies examples.
const script = `
(function(){
  var origin = /^https?:$/.test(location.protocol) ? location.origin : null;
  if (origin) document.querySelectorAll('pre.curl code').forEach(function(c){
    c.textContent = c.textContent.split('$ESIMLAB_URL').join(origin);
  });
  var filter = document.getElementById('filter');
  filter.addEventListener('input', function(){
    var q = filter.value.trim().toLowerCase();
    document.querySelectorAll('article.op').forEach(function(op){
      var hide = q !== '' && op.getAttribute('data-search').indexOf(q) < 0;
      op.classList.toggle('hidden', hide);
      var link = document.querySelector('nav li[data-op="' + op.id + '"]');
      if (link) link.classList.toggle('hidden', hide);
    });
  });
  document.querySelectorAll('button.copy').forEach(function(b){
    b.addEventListener('click', function(){
      var text = b.nextElementSibling.textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(function(){
        b.textContent = 'Copied'; setTimeout(function(){ b.textContent = 'Copy'; }, 1200);
      });
    });
  });
})();
`;
