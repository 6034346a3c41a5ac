export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** The tenant as created: the only time its API key is shown. */
export interface CreatedTenant extends Tenant {
  readonly apiKey: string;
}
