/**
 * Stands in for the long-connection SDKs (@larksuiteoapi/node-sdk, dingtalk-stream) in the Worker bundle,
 * through wrangler.toml [alias]: those modes keep a socket open, which Workers cannot, and
 * src/runtime/worker-env.ts refuses FEISHU_MODE=ws and DINGTALK_MODE=stream before anything would load them.
 */
function nodeOnly(): never {
  throw new Error('long-connection modes (Feishu WSClient, DingTalk Stream) run only on Node; use webhook mode on Workers');
}

export const WSClient = nodeOnly;
export const EventDispatcher = nodeOnly;
export const DWClient = nodeOnly;
export const LoggerLevel = { warn: 2 };
export default { WSClient, EventDispatcher, DWClient, LoggerLevel };
