import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import {
  casePath,
  cvdKeys,
  partyCasePath,
  type CvdCase,
  type CvdChange,
  type NewMessage,
  type NewParty,
  type PartyChange,
  type PartyView,
} from './api';

/** What a change answers with: the case itself, or the case with something beside it. */
type WithCase = CvdCase | { case: CvdCase };
const caseOf = (output: WithCase): CvdCase => ('case' in output ? output.case : output);

/**
 * A change to one case by the CERT: the answer (the case) is shown at once; the lists and the
 * dashboard are refetched where they are shown.
 */
function useCaseMutation<TInput, TOutput extends WithCase>(caseId: string, fn: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (output) => {
      queryClient.setQueryData(cvdKeys.case(caseId), caseOf(output));
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: cvdKeys.case(caseId) });
      await queryClient.invalidateQueries({ queryKey: cvdKeys.lists });
      await queryClient.invalidateQueries({ queryKey: cvdKeys.dashboard });
    },
  });
}

const path = (caseId: string, rest = '') => `${casePath(caseId)}${rest}`;
const child = (id: string) => encodeURIComponent(id);

/** The answer to adding a party or a new link: the private link of a party without an account, shown once. */
export interface AddedParty {
  case: CvdCase;
  partyId: string;
  privateLink: string | null;
}

export const usePatchCase = (caseId: string) => useCaseMutation(caseId, (patch: CvdChange) => api.patch<CvdCase>(path(caseId), patch));
export const useRecheckScope = (caseId: string) => useCaseMutation(caseId, () => api.post<CvdCase>(path(caseId, '/scope-check')));
export const useAddParty = (caseId: string) => useCaseMutation(caseId, (input: NewParty) => api.post<AddedParty>(path(caseId, '/parties'), input));
export const useAddScopeParties = (caseId: string) => useCaseMutation(caseId, () => api.post<CvdCase>(path(caseId, '/parties/from-scope')));
export const useAddProductParties = (caseId: string) =>
  useCaseMutation(caseId, () => api.post<{ case: CvdCase; added: number }>(path(caseId, '/parties/from-products')));
export const usePatchParty = (caseId: string) =>
  useCaseMutation(caseId, ({ partyId, change }: { partyId: string; change: PartyChange }) => api.patch<CvdCase>(path(caseId, `/parties/${child(partyId)}`), change));
export const useReissueLink = (caseId: string) => useCaseMutation(caseId, (partyId: string) => api.post<AddedParty>(path(caseId, `/parties/${child(partyId)}/link`)));
export const useSendMessage = (caseId: string) => useCaseMutation(caseId, (input: NewMessage) => api.post<CvdCase>(path(caseId, '/messages'), input));
export const useAddNote = (caseId: string) => useCaseMutation(caseId, (body: string) => api.post<CvdCase>(path(caseId, '/notes'), { body }));
export const useShareAttachment = (caseId: string) =>
  useCaseMutation(caseId, ({ attachmentId, partyId }: { attachmentId: string; partyId: string }) =>
    api.post<CvdCase>(path(caseId, `/attachments/${child(attachmentId)}/share`), { partyId }),
  );
/** Drafts the advisory from the case; the answer names the advisory to open in the editor. */
export const useDraftAdvisory = (caseId: string) =>
  useCaseMutation(caseId, (tlp: string) => api.post<{ case: CvdCase; productId: string }>(path(caseId, '/advisory'), { tlp }));

/** A party's own changes in the portal: its status, its consent, and its messages to the CERT. */
function usePartyMutation<TInput>(caseId: string, fn: (input: TInput) => Promise<PartyView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (view) => {
      queryClient.setQueryData(cvdKeys.partyCase(caseId), view);
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: cvdKeys.partyCase(caseId) });
      await queryClient.invalidateQueries({ queryKey: cvdKeys.lists });
    },
  });
}

export const usePartyUpdate = (caseId: string) => usePartyMutation(caseId, (change: PartyChange) => api.patch<PartyView>(partyCasePath(caseId), change));
export const usePartyReply = (caseId: string) => usePartyMutation(caseId, (body: string) => api.post<PartyView>(`${partyCasePath(caseId)}/messages`, { body }));
