import type { LoadAnswer, LoadRequest, LoadRuntime } from '../load-runtime.ts';

/**
 * Sends a control-plane request to the first replica that answers, in order: the state is
 * shared, so any of them will do, and the one setup used may be down (killed, restarting)
 * when teardown runs. The last network error when none answers.
 */
export async function requestAnyReplica(
  runtime: LoadRuntime,
  baseUrls: readonly string[],
  request: (baseUrl: string) => LoadRequest,
): Promise<LoadAnswer> {
  let answer: LoadAnswer = {
    type: 'network-error',
    kind: 'other',
    message: 'no replica URL to send the request to',
  };
  for (const baseUrl of baseUrls) {
    answer = await runtime.request(request(baseUrl));
    if (answer.type === 'response') return answer;
  }
  return answer;
}
