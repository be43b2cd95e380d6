/** The waiting-room display (issue 6). Placeholder until that screen lands. */
export function DisplayScreen() {
  return <main className="page">Écran d’affichage</main>;
}
