import { parseActivationCode, profileStates } from '@esimlab/domain';
import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { eidSchema } from '../devices/routes.ts';
import { downloadProfile } from './download-profile.ts';

const activationCodeSchema = z
  .string({ error: 'activationCode must be a string like LPA:1$smdp.example.com$MATCHING-ID' })
  .transform((value, ctx) => {
    const parsed = parseActivationCode(value, 'activationCode');
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return z.NEVER;
  })
  .meta({
    description: 'The text of the eSIM QR code: LPA:1$<SM-DP+ address>$<matching id>[$<OID>[$1]]',
  });

const downloadSchema = z.strictObject({
  eid: eidSchema,
  activationCode: activationCodeSchema,
  confirmationCode: z
    .string({ error: 'confirmationCode must be a string' })
    .min(1, 'confirmationCode must not be empty; omit it when the eSIM has none')
    .max(64, 'confirmationCode must be at most 64 characters')
    .optional()
    .meta({ description: 'Required when the activation code ends in $1; sent with the order' }),
});

const problem = (description: string) => ({ description, schema: problemSchema });

export const lpaRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/lpa/download',
    operationId: 'downloadProfile',
    summary: "A phone's LPA downloads, installs and enables the profile of an activation code",
    tag: 'LPA',
    // A phone has no API key: the activation code (and confirmation code) is the credential.
    access: 'public',
    body: downloadSchema,
    responses: {
      200: {
        description: 'The profile is on the device; a retry from the same EID answers the same',
        schema: z
          .object({ iccid: z.string(), state: z.enum(profileStates) })
          .meta({ id: 'ProfileDownload' }),
      },
      400: problem('A malformed EID, activation code or confirmation code'),
      403: problem('confirmation_code_invalid, with attemptsRemaining'),
      404: problem('device_not_found, or esim_not_found for an activation code of no eSIM here'),
      409: problem('code_already_used: bound to another device, deleted or cancelled'),
      423: problem('too_many_attempts: the activation code is locked'),
      503: problem('network_unreachable: the device has neither wifi nor a signal'),
    },
    async handle({ body }, context) {
      const esim = await downloadProfile(context, body);
      return { status: 200, body: { iccid: esim.iccid, state: esim.profile.state } };
    },
  }),
];
