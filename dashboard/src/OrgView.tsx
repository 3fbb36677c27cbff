// Org view (management keys): the org's lab accounts and its teams, as two sections.
import { useState } from 'react';
import type { WhoAmI } from './api';
import { LabAccountsPage } from './LabAccountsPage';
import type { TeamSession } from './session';
import { TeamsPage } from './TeamsPage';

export function OrgView(props: { apiKey: string; who: WhoAmI; onOpenTeam: (session: TeamSession) => void }) {
  const [tab, setTab] = useState<'accounts' | 'teams'>('accounts');
  return (
    <>
      <nav aria-label="Org sections" className="tabs">
        <button type="button" aria-current={tab === 'accounts' ? 'page' : undefined} onClick={() => setTab('accounts')}>
          Lab accounts
        </button>
        <button type="button" aria-current={tab === 'teams' ? 'page' : undefined} onClick={() => setTab('teams')}>
          Teams
        </button>
      </nav>
      {tab === 'accounts' ? <LabAccountsPage apiKey={props.apiKey} who={props.who} /> : <TeamsPage {...props} />}
    </>
  );
}
