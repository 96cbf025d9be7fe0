/** Logit-bias entries plus history tokens a logitsView(n, vocabSize) makes room for up front: min(vocabSize, this).
 *  A call with more grows memory, which detaches every view (the sampler then says so). */
export const VIEW_EDITS = 65536;
/** Sequences, and sequence tokens, a logitsView(n, vocabSize) makes room for up front: min(vocabSize, this). Room
 *  for the usual sequence breakers of DRY (every token holding a newline, a colon, a quote or an
 *  asterisk of a 128k vocabulary) and a list of bad words, at 192 KiB. */
export const VIEW_SEQUENCES = 16384;
