// Webhook receivers in tests: what a receiver that takes Horizon's webhooks answers to the verification challenge.

/** The body an echoing receiver answers to a verification challenge (`{"challenge": …}`); undefined for other bodies. */
export function challengeAnswer(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; challenge?: unknown };
    if (parsed.type === 'horizon.url_verification' && typeof parsed.challenge === 'string') {
      return JSON.stringify({ challenge: parsed.challenge });
    }
  } catch {
    // Not JSON: not a challenge.
  }
  return undefined;
}
