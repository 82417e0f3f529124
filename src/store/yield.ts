// A turn of the event loop for other requests. PGlite runs queries on this thread and its promises settle without
// the loop turning, so a run of queries (or of rendering) is one block to every other request unless it yields.

/** Resolves after the event loop has turned once (timers, I/O and other requests' callbacks have run). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
