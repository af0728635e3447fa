/**
 * A task title that looks like it holds a secret rather than names one: "pw: hunter2",
 * "token ghp_…", a long random-looking string. "Hand over the passwords" names a chore and passes.
 */
const LABELLED = /\b(pass(word)?|pwd|pw|passwort|mot de passe|mdp|şifre|parola|mật khẩu|token|api[ _-]?key|secret|key|schlüssel|clé|anahtar|khóa)\s*[:=]\s*\S+/iu;
const KNOWN_PREFIX = /\b(sk|pk|ghp|gho|github_pat|xox[abpr]|AKIA|AIza)[-_]?[A-Za-z0-9_-]{10,}/u;

function looksRandom(word: string): boolean {
  if (word.length < 16) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((r) => r.test(word)).length;
  return kinds >= 3;
}

export function looksLikeSecret(title: string): boolean {
  return LABELLED.test(title) || KNOWN_PREFIX.test(title) || title.split(/\s+/).some(looksRandom);
}
