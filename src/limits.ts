/** Logit-bias entries plus history tokens a logitsView(n) makes room for up front: min(n, this).
 *  A call with more grows memory, which detaches every view (the sampler then says so). */
export const VIEW_EDITS = 65536;
