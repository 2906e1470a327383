import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams, Ok } from '#modules/identity/identity.schema.ts';
import * as contacts from './contact.service.ts';
import * as orgs from './organisation.service.ts';
import { presentContact, presentOrganisation } from './organisation.presenter.ts';
import { Contact, ContactInput, ContactPatch, Organisation, OrganisationInput, OrganisationListQuery, OrganisationPatch } from './organisation.schema.ts';

export function organisationRoutes(app: App): void {
  app.get(
    '/api/v1/organisations',
    { config: { access: { auth: 'user', permission: 'organisations:read' } }, schema: { tags: ['organisations'], summary: 'Organisations I may see', querystring: OrganisationListQuery, response: { 200: z.object({ items: z.array(Organisation), nextCursor: z.string().nullable() }) } } },
    async (req) => {
      const page = await orgs.listOrganisations(req.ctx, req.query);
      return { items: page.rows.map((r) => presentOrganisation(r, page.clients.get(r.id))), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/organisations',
    { config: { access: { auth: 'user', permission: 'organisations:create' } }, schema: { tags: ['organisations'], summary: 'Register an organisation', body: OrganisationInput, response: { 201: Organisation } } },
    async (req, reply) => {
      const { row, clientIds } = await orgs.createOrganisation(req.ctx, req.body);
      return reply.status(201).send(presentOrganisation(row, clientIds));
    },
  );

  app.get(
    '/api/v1/organisations/:id',
    { config: { access: { auth: 'user', permission: 'organisations:read' } }, schema: { tags: ['organisations'], summary: 'One organisation', params: IdParams, response: { 200: Organisation } } },
    async (req) => {
      const { row, clientIds } = await orgs.getOrganisation(req.ctx, req.params.id);
      return presentOrganisation(row, clientIds);
    },
  );

  app.patch(
    '/api/v1/organisations/:id',
    { config: { access: { auth: 'user', permission: 'organisations:update' } }, schema: { tags: ['organisations'], summary: 'Change an organisation', params: IdParams, body: OrganisationPatch, response: { 200: Organisation } } },
    async (req) => {
      const { row, clientIds } = await orgs.updateOrganisation(req.ctx, req.params.id, req.body);
      return presentOrganisation(row, clientIds);
    },
  );

  app.get(
    '/api/v1/organisations/:id/contacts',
    { config: { access: { auth: 'user', permission: 'contacts:read' } }, schema: { tags: ['contacts'], summary: 'Contacts of an organisation', params: IdParams, response: { 200: z.object({ items: z.array(Contact) }) } } },
    async (req) => ({ items: (await contacts.listContacts(req.ctx, req.params.id)).map(presentContact) }),
  );

  app.post(
    '/api/v1/organisations/:id/contacts',
    { config: { access: { auth: 'user', permission: 'contacts:write' } }, schema: { tags: ['contacts'], summary: 'Add a contact (optionally with an OpenPGP public key)', params: IdParams, body: ContactInput, response: { 201: Contact } } },
    async (req, reply) => reply.status(201).send(presentContact(await contacts.createContact(req.ctx, req.params.id, req.body))),
  );

  app.patch(
    '/api/v1/contacts/:id',
    { config: { access: { auth: 'user', permission: 'contacts:write' } }, schema: { tags: ['contacts'], summary: 'Change a contact', params: IdParams, body: ContactPatch, response: { 200: Contact } } },
    async (req) => presentContact(await contacts.updateContact(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    '/api/v1/contacts/:id',
    { config: { access: { auth: 'user', permission: 'contacts:write' } }, schema: { tags: ['contacts'], summary: 'Remove a contact', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await contacts.deleteContact(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );
}
