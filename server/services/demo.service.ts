/** Seeds the demo contest on an empty database (filled in by the demo work). */
import type { Services } from './index.js';

export async function seedDemoIfEmpty(_services: Services): Promise<{ slug: string } | null> {
  return null;
}
