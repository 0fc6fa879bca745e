/** A bad flag or argument: the run ends with exit 2 and a message naming it. */
export class UsageError extends Error {}
