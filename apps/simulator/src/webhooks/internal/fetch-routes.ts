/** Answers a `fetch` addressed to an in-process receiver. */
export type FetchRoute = (url: URL, init: RequestInit | undefined) => Promise<Response>;

/**
 * The origin simulated receivers live at: loopback, as the carrier requires of webhook URLs,
 * on the discard port, so a request that somehow escapes the simulation is refused at once.
 */
export const SIMULATED_WEBHOOK_ORIGIN = 'http://127.0.0.1:9';

const routes = new Map<string, FetchRoute>();
let installed = false;

/**
 * Sends `fetch` calls for `${SIMULATED_WEBHOOK_ORIGIN}<path>` to `route` instead of the
 * network. The carrier posts webhooks with the global `fetch`; this is the simulated link
 * from it to a receiver in the same process. Every other URL goes to the real `fetch`.
 * Returns the removal.
 */
export function routeFetch(path: string, route: FetchRoute): () => void {
  install();
  routes.set(path, route);
  return () => {
    if (routes.get(path) === route) routes.delete(path);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (href.startsWith(SIMULATED_WEBHOOK_ORIGIN)) {
      const url = new URL(href);
      const route = routes.get(url.pathname);
      if (route) return route(url, init);
    }
    return realFetch(input, init);
  };
}
