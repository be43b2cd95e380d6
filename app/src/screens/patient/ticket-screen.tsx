/** The patient's own ticket page (issue 6). Placeholder until that screen lands. */
export function TicketScreen({ clinicId, entryId }: { clinicId: string; entryId: string }) {
  return (
    <main className="page">
      Ticket {clinicId}/{entryId}
    </main>
  );
}
