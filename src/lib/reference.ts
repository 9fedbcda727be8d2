/** ENQ-000123: what people read out on the telephone. */
export const formatReference = (n: number) => `ENQ-${String(n).padStart(6, "0")}`;
