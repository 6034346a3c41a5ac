/** Stable machine names of the rules an identifier can break; clients may switch on them. */
export type IdentifierRule =
  | 'type'
  | 'digits'
  | 'length'
  | 'prefix'
  | 'country_code'
  | 'issuer'
  | 'luhn'
  | 'check_digits'
  | 'mcc'
  | 'e164'
  | 'area_code'
  | 'exchange'
  | 'format'
  | 'fields'
  | 'fqdn'
  | 'matching_id'
  | 'oid'
  | 'confirmation_code';

/** Why an ICCID, EID, IMSI, MSISDN or activation code was rejected. */
export interface IdentifierError {
  readonly code: 'invalid_identifier';
  /** The caller's name for the input, e.g. `iccid` or `subscriber.eid`. */
  readonly field: string;
  readonly rule: IdentifierRule;
  /** A sentence naming the field, the broken rule and how to fix it. */
  readonly message: string;
}
