/** The page's screens: a plain state machine, no router. */
export type Screen =
  | { name: 'loading' }
  | { name: 'signIn'; email?: string; notice?: string }
  | { name: 'signUp' }
  | { name: 'confirm'; email: string; notice?: string }
  | { name: 'profile' }
  | { name: 'forgot'; email?: string }
  | { name: 'newPassword'; email: string; notice?: string };

export type Go = (screen: Screen) => void;
