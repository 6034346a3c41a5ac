/** Money as the contract sends it: integer minor units (cents), always US dollars. */
export interface Money {
  readonly amount: number;
  readonly currency: 'USD';
}
