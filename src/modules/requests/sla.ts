import type { Ctx } from '#server/context.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import { addDays, amsterdamMidnight, nthWorkingDayAfter } from '#modules/cvd/deadlines.ts';
import { workingDayOverrides } from '#modules/cvd/intake.service.ts';

/**
 * The first answer is due at the end of the N-th Dutch working day after receipt (REQUESTS_SLA_WORKING_DAYS;
 * weekends, national holidays and the CERT's own days off do not count, nor the day of receipt),
 * on the same working-day calendar as the CVD and monitoring clocks.
 */
export async function firstAnswerDue(ctx: Ctx, receivedAt: Date): Promise<Date> {
  const overrides = await workingDayOverrides(ctx, receivedAt);
  const last = nthWorkingDayAfter(amsterdamDay(receivedAt), ctx.services.config.requests.slaWorkingDays, overrides);
  return new Date(amsterdamMidnight(addDays(last, 1)).getTime() - 1);
}
