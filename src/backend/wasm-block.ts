// The parameter block's layout on the host side: the byte offsets of assembly/params.ts (a
// test reads both lists and compares them). One line per field: a new knob adds a line here.

export const P_N = 0;
export const P_SRC = 4;
export const P_FLAGS = 8;
export const P_TOP_K = 12;
export const P_C = 16;
export const P_MIN_P = 20;
export const P_TOP_P = 24;
export const P_TYPICAL_P = 32;
export const P_U = 40;
export const P_MIN_P_Z = 48;
export const P_REPETITION = 52;
export const P_PRESENCE = 56;
export const P_FREQUENCY = 60;
export const P_BIAS_COUNT = 64;
export const P_HISTORY_COUNT = 68;
export const P_TOP_N = 72;
export const P_C64 = 80;

export const R_TOKEN = 128;
export const R_STATUS = 132;
export const R_MASS = 136;
export const R_EZ = 144;
export const R_Z = 152;
export const R_COUNT = 156;
export const R_TOP_COUNT = 160;
export const R_MAX = 164;
export const R_RAW_MASS = 168;
export const R_RAW_Z = 176;
export const R_RAW_MAX = 180;
