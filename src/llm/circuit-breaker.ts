import type { Clock } from '../core/ports.js';

export interface BreakerOptions {
  /** Consecutive endpoint failures that open the breaker. */
  failures: number;
  /** How long an open breaker refuses calls before letting one trial through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failures: 5, coolDownMs: 60_000 };

/**
 * Stops calling an endpoint that keeps failing, so items fall back at once instead of each waiting for
 * its own timeouts. After the cool-down one call is let through (half-open); its outcome decides.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(private readonly clock: Clock, private readonly opts: BreakerOptions = DEFAULT_BREAKER) {}

  get state(): 'closed' | 'open' | 'half_open' {
    if (this.openedAt === null) return 'closed';
    return this.clock.now() - this.openedAt >= this.opts.coolDownMs ? 'half_open' : 'open';
  }

  /** True when a call may go out now; in half-open only one trial at a time. */
  allow(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutive = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.consecutive++;
    if (this.trialInFlight || this.consecutive >= this.opts.failures) this.openedAt = this.clock.now();
    this.trialInFlight = false;
  }

  /** A failure that says nothing about the endpoint (one bad answer): ends a trial without opening. */
  neutral(): void {
    this.trialInFlight = false;
  }
}
