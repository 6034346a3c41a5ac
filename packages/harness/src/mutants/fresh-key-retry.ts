import { type TopupSession, type TopupStrategy, topupStrategies } from '@esimlab/client';

/**
 * MUTANT. The idempotent style, except that every retry carries a new Idempotency-Key: what a
 * client does that mints its key per HTTP request (a fresh UUID in the request builder)
 * instead of per purchase. When a purchase commits and its answer is lost (a reset after the
 * commit, a cut body), the retry is a second purchase. The checker must report
 * `duplicate_charge`: the intent's key and its final top-up name two captured charges.
 */
export const freshKeyRetry: TopupStrategy = {
  ...topupStrategies.idempotent,
  name: 'fresh-key-retry',
  purchase: (session) => topupStrategies.idempotent.purchase(withKeyPerRequest(session)),
};

function withKeyPerRequest(session: TopupSession): TopupSession {
  let requests = 0;
  return {
    ...session,
    create(identifiers) {
      requests += 1;
      const key = identifiers.idempotencyKey;
      // The bug: the carrier sees each retry under a key it has never seen, so it buys again.
      const fresh = requests === 1 || key === undefined ? key : `${key}-retry-${requests}`;
      return session.create({
        ...identifiers,
        ...(fresh === undefined ? {} : { idempotencyKey: fresh }),
      });
    },
  };
}
