export { type FaultProxy, type FaultProxyOptions, startFaultProxy } from './fault-proxy.ts';
export {
  type ProxyChange,
  ProxyCollection,
  type ProxySpec,
  type ToxicChange,
} from './proxy-collection.ts';
export {
  type Toxic,
  type ToxicAttributes,
  type ToxicStream,
  type ToxicType,
  toxicAttributeSchemas,
  toxicStreams,
  toxicTypes,
} from './toxic.ts';
export { type ProxyJson, ToxicProxy } from './toxic-proxy.ts';
export { createToxiproxyApi, toxiproxyApiVersion } from './toxiproxy-api.ts';
export { ToxiproxyApiError, type ToxiproxyApiErrorCode } from './toxiproxy-api-error.ts';
export {
  defaultToxiproxyPort,
  startToxiproxyServer,
  type ToxiproxyServer,
  type ToxiproxyServerOptions,
} from './toxiproxy-server.ts';
