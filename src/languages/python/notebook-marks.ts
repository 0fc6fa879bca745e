// Comments a notebook's joined cells carry (see languages/notebook.ts), for the Python tools
// that must treat those lines as the notebook's, not the user's.

/**
 * Ends the line a notebook puts after a cell left inside brackets or a string: the closers before
 * it on that line are not the cell's, and what they close is reported as never closed.
 */
export const CELL_LEFT_OPEN = '# mlflint: the cell above is left open';

/** A line that stands for a magic or shell escape: no fix may touch it, or the magic is lost. */
export const MASKED = '# mlflint: masked';
