import { HomeAction, Notice, Page, useApp } from '../app';

export function SentScreen({ reportId }: { reportId: string }) {
  const { tr } = useApp();
  return (
    <Page title={tr.t('sent.title')} testId="sent">
      <Notice kind="ok" testId="report-sent">
        {tr.t('sent.body')}
      </Notice>
      <p>
        {tr.t('sent.ref')}{' '}
        <strong dir="ltr" data-testid="report-ref">
          {reportId.slice(0, 8)}
        </strong>
      </p>
      <p class="small">{tr.t('sent.next')}</p>
      <HomeAction primary />
    </Page>
  );
}
