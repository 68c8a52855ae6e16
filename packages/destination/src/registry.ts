import type { AnyDestination, ContextEnricher } from './destination.js';

/** The destinations a deployment offers, by vendor. */
export class DestinationRegistry {
  private readonly byVendor = new Map<string, AnyDestination>();

  constructor(destinations: readonly AnyDestination[]) {
    for (const destination of destinations) this.byVendor.set(destination.vendor, destination);
  }

  /** The destination for a vendor, or undefined for one this deployment does not know. */
  get(vendor: string): AnyDestination | undefined {
    return this.byVendor.get(vendor);
  }

  /** Every vendor, in the order given. */
  vendors(): string[] {
    return [...this.byVendor.keys()];
  }

  /** What every destination adds to messages at ingest, in the order given. */
  enrichers(): ContextEnricher[] {
    return this.all().flatMap((destination) => (destination.enrichContext ? [destination.enrichContext] : []));
  }

  /** Every destination, in the order given. */
  all(): AnyDestination[] {
    return [...this.byVendor.values()];
  }
}
