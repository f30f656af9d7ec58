import { standardErrors } from '../../errors/catalogue.js'
import { FlickrError } from '../../errors/flickr-error.js'

/**
 * A counting semaphore for sync photo processing: beyond `size` at once, requests wait in line for
 * up to `waitMillis`, then get 105 instead of piling up decodes (each holds tens of MB of pixels).
 */
export class ProcessingSlots {
  readonly #size: number
  readonly #waitMillis: number
  #busy = 0
  readonly #waiting: Array<() => void> = []

  constructor(size: number, waitMillis: number) {
    this.#size = size
    this.#waitMillis = waitMillis
  }

  /** Runs `work` in a slot; `unbounded` waits as long as it takes (queue workers) instead of failing with 105. */
  async run<T>(work: () => Promise<T>, options: { unbounded?: boolean } = {}): Promise<T> {
    await this.#acquire(options.unbounded ? null : this.#waitMillis)
    try {
      return await work()
    } finally {
      this.#release()
    }
  }

  async #acquire(waitMillis: number | null): Promise<void> {
    if (this.#busy < this.#size) {
      this.#busy++
      return
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        if (timer) clearTimeout(timer)
        resolve()
      }
      const timer =
        waitMillis === null
          ? undefined
          : setTimeout(() => {
              const at = this.#waiting.indexOf(grant)
              if (at !== -1) this.#waiting.splice(at, 1)
              reject(new FlickrError(standardErrors.serviceUnavailable))
            }, waitMillis)
      this.#waiting.push(grant)
    })
  }

  #release(): void {
    const next = this.#waiting.shift()
    // The slot passes straight to the next waiter, so #busy stays the same.
    if (next) next()
    else this.#busy--
  }
}
