import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, type Page } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled).
import type {
  MemberOrganisationOut,
  PostInput,
  SearchHitOut,
  SpaceInput,
  SpaceOut,
  SpacePatch,
  ThreadInput,
  ThreadOut,
  ThreadSummaryOut,
  VersionOut,
} from '#modules/community/community.schema.ts';
import type { CommunityPreferenceMode } from '#db/schema-community.ts';

export type Space = SpaceOut;
export type ThreadSummary = ThreadSummaryOut;
export type Thread = ThreadOut;
export type Post = ThreadOut['posts'][number];
export type Reaction = Post['reactions'][number];
export type MemberOrganisation = z.infer<typeof MemberOrganisationOut>;
export type SearchHit = z.infer<typeof SearchHitOut>;
export type PostVersion = z.infer<typeof VersionOut>;
export type PreferenceMode = CommunityPreferenceMode;
export type NewThread = z.input<typeof ThreadInput>;
export type NewPost = z.input<typeof PostInput>;
export type NewSpace = z.input<typeof SpaceInput>;
export type SpaceChange = z.input<typeof SpacePatch>;

/** The fixed reactions and how they look (the server keeps the same list). */
export const REACTIONS = [
  { kind: 'thumbsup', emoji: '👍' },
  { kind: 'heart', emoji: '❤️' },
  { kind: 'tada', emoji: '🎉' },
  { kind: 'eyes', emoji: '👀' },
  { kind: 'thinking', emoji: '🤔' },
  { kind: 'check', emoji: '✅' },
] as const;
export type ReactionKind = (typeof REACTIONS)[number]['kind'];

export const PREFERENCE_MODES = ['instant', 'digest', 'never'] as const satisfies readonly PreferenceMode[];
export const SPACE_ROLES = ['participant-admin', 'participant-member', 'partner'] as const;
export const SPACE_KINDS = ['participant', 'partner', 'vendor'] as const;
export const SEGMENTS = ['hospital', 'umc', 'mental_health', 'elderly_care', 'disability_care', 'primary_care', 'lab', 'pharmacy', 'other'] as const;

export const communityKeys = {
  all: ['community'] as const,
  spaces: ['community', 'spaces'] as const,
  space: (id: string) => ['community', 'space', id] as const,
  threads: (spaceId: string) => ['community', 'threads', spaceId] as const,
  thread: (id: string) => ['community', 'thread', id] as const,
  organisations: (spaceId: string) => ['community', 'organisations', spaceId] as const,
  versions: (postId: string) => ['community', 'versions', postId] as const,
  search: (q: string) => ['community', 'search', q] as const,
};

const enc = encodeURIComponent;
export const spacePath = (id: string) => `/api/v1/community/spaces/${enc(id)}`;
export const threadPath = (id: string) => `/api/v1/community/threads/${enc(id)}`;
export const postPath = (id: string) => `/api/v1/community/posts/${enc(id)}`;
export const attachmentUrl = (id: string) => `/api/v1/community/attachments/${enc(id)}`;

export const spacesQuery = () =>
  queryOptions({ queryKey: communityKeys.spaces, queryFn: ({ signal }) => api.get<{ items: Space[] }>('/api/v1/community/spaces', undefined, signal) });
export const spaceQuery = (id: string) =>
  queryOptions({ queryKey: communityKeys.space(id), queryFn: ({ signal }) => api.get<Space>(spacePath(id), undefined, signal) });
export const threadsQuery = (spaceId: string) =>
  queryOptions({
    queryKey: communityKeys.threads(spaceId),
    queryFn: ({ signal }) => api.get<Page<ThreadSummary>>(`${spacePath(spaceId)}/threads`, { limit: 100 }, signal),
  });
export const threadQuery = (id: string) =>
  queryOptions({ queryKey: communityKeys.thread(id), queryFn: ({ signal }) => api.get<Thread>(threadPath(id), undefined, signal) });
export const spaceOrganisationsQuery = (spaceId: string) =>
  queryOptions({
    queryKey: communityKeys.organisations(spaceId),
    queryFn: ({ signal }) => api.get<{ items: MemberOrganisation[] }>(`${spacePath(spaceId)}/organisations`, undefined, signal),
  });
export const versionsQuery = (postId: string) =>
  queryOptions({
    queryKey: communityKeys.versions(postId),
    queryFn: ({ signal }) => api.get<{ items: PostVersion[] }>(`${postPath(postId)}/versions`, undefined, signal),
  });
export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: communityKeys.search(q),
    enabled: q.trim().length >= 2,
    queryFn: ({ signal }) => api.get<{ items: SearchHit[] }>('/api/v1/community/search', { q, limit: 30 }, signal),
  });
