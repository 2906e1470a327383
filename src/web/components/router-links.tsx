import { forwardRef } from 'react';
import {
  ActionIcon,
  type ActionIconProps,
  Anchor,
  type AnchorProps,
  Button,
  type ButtonProps,
  NavLink,
  type NavLinkProps,
} from '@mantine/core';
import { createLink } from '@tanstack/react-router';

// Mantine components rendered as real <a> elements driven by the router, so links keep
// middle-click/open-in-new-tab behaviour and get type-checked `to`/`params`/`search`.

type AnchorElementProps = Omit<React.ComponentPropsWithoutRef<'a'>, keyof AnchorProps>;

const AnchorForRouter = forwardRef<HTMLAnchorElement, AnchorProps & AnchorElementProps>(
  function AnchorForRouter(props, ref) {
    return <Anchor component="a" ref={ref} {...props} />;
  },
);
export const RouterAnchor = createLink(AnchorForRouter);

const ButtonForRouter = forwardRef<
  HTMLAnchorElement,
  ButtonProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof ButtonProps>
>(function ButtonForRouter(props, ref) {
  return <Button component="a" ref={ref} {...props} />;
});
export const RouterButton = createLink(ButtonForRouter);

const NavLinkForRouter = forwardRef<
  HTMLAnchorElement,
  NavLinkProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof NavLinkProps>
>(function NavLinkForRouter(props, ref) {
  return <NavLink component="a" ref={ref} {...props} />;
});
export const RouterNavLink = createLink(NavLinkForRouter);

const ActionIconForRouter = forwardRef<
  HTMLAnchorElement,
  ActionIconProps & Omit<React.ComponentPropsWithoutRef<'a'>, keyof ActionIconProps>
>(function ActionIconForRouter(props, ref) {
  return <ActionIcon component="a" ref={ref} {...props} />;
});
export const RouterActionIcon = createLink(ActionIconForRouter);
