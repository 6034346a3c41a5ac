import { z } from 'zod';

const latitude = z
  .number({ error: 'lat must be a number of degrees, -90 (south) to 90 (north)' })
  .min(-90, 'lat must be between -90 and 90 degrees')
  .max(90, 'lat must be between -90 and 90 degrees');

const longitude = z
  .number({ error: 'lon must be a number of degrees, -180 (west) to 180 (east)' })
  .min(-180, 'lon must be between -180 and 180 degrees')
  .max(180, 'lon must be between -180 and 180 degrees');

/** A point in a JSON body: `{lat, lon}` in decimal degrees. */
export const locationSchema = z
  .strictObject({ lat: latitude, lon: longitude })
  .meta({ id: 'Location', description: 'A point in decimal degrees (WGS 84)' });

export type Location = z.infer<typeof locationSchema>;

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

// Query strings are text: insist on a decimal number, so `lat=` is refused rather than read as 0.
const queryDegrees = (name: 'lat' | 'lon', degrees: z.ZodNumber, example: string) =>
  z
    .string({ error: `${name} is required: a decimal number of degrees, e.g. ${name}=${example}` })
    .regex(decimal, `${name} must be a decimal number of degrees, e.g. ${name}=${example}`)
    .meta({ description: `${name === 'lat' ? 'Latitude' : 'Longitude'} in decimal degrees` })
    .pipe(z.coerce.number<string>().pipe(degrees));

/** `?lat=&lon=` in a query string. */
export const locationQuerySchema = z.object({
  lat: queryDegrees('lat', latitude, '40.7128'),
  lon: queryDegrees('lon', longitude, '-74.006'),
});
