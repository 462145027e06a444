/**
 * One holder at a time, in arrival order. Why by hand: it is a promise chain of a few lines, and the
 * packages that offer it bring timeouts and cancellation this code does not need.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
