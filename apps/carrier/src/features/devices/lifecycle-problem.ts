import type { LifecycleError } from '@esimlab/domain';
import { ProblemError } from '../../http/problem.ts';

/** A refused lifecycle event as the contract's problem; domain messages already say what to do. */
export function lifecycleProblem(error: LifecycleError): ProblemError {
  switch (error.code) {
    case 'illegal_transition':
      return new ProblemError(409, 'illegal_transition', error.message, {
        extensions: { state: error.from, event: error.event },
      });
    case 'code_already_used':
      return new ProblemError(409, 'code_already_used', error.message);
    case 'confirmation_code_invalid':
      return new ProblemError(403, 'confirmation_code_invalid', error.message, {
        extensions: { attemptsRemaining: error.attemptsRemaining },
      });
    case 'too_many_attempts':
      return new ProblemError(423, 'too_many_attempts', error.message);
  }
}
