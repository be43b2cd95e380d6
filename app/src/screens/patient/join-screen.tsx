/** The patient's join page from the QR code (issue 6). Placeholder until that screen lands. */
export function JoinScreen({ secret }: { secret: string }) {
  return <main className="page">Rejoindre la file ({secret.length})</main>;
}
