/**
 * An object already serialised, as the store holds it. A retrieve can send it unchanged: parsing
 * and serialising it again would cost more than the database lookup.
 */
export class JsonText<T> {
  constructor(readonly text: string) {}

  value(): T {
    return JSON.parse(this.text) as T;
  }
}
