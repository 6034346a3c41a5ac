import type { AuditReport } from '@esimlab/domain';

/** `GET /_sim/audit`: the carrier's ledger checked against its gateway's charges. */
export type CarrierAudit = Omit<AuditReport, 'unknownIntents'>;

/** `POST /_sim/audit {intents}`: the same, joined with a client's intent log. */
export type IntentAudit = AuditReport;
