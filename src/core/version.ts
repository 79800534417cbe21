/** The Stripe API version whose shapes Portico renders (the one stripe@23.1.0 pins). */
export const API_VERSION = '2026-10-28.endive';
