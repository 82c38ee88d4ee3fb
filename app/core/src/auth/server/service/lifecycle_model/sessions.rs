//! The invariants the session index owns, read off the world after every step: an ended
//! session is never listed (so never signed in) again, a listed session is listed under its
//! own account, and, after a lone "Sign out" or "Sign out everywhere else", exactly the
//! sessions it named are gone (a stranger's request ends nothing).

use super::world::{Op, World, NUMBERS};
use crate::auth::server::{LoginSession, SignedInUser};
use std::collections::{BTreeSet, HashSet};
use tower_sessions::Session;

/// Every `(account, handle)` the index lists now.
pub type Listed = BTreeSet<(String, String)>;

impl World {
    /// `browser`'s signed-in user as its session stores it (the index not consulted).
    pub async fn stored_user(&self, browser: usize) -> Option<SignedInUser> {
        let cookie = self.cookies[browser]?;
        let session = LoginSession::new(Session::new(Some(cookie), self.store.clone(), None));
        session.signed_in(self.now()).await.ok().flatten()
    }

    /// The accounts of the numbers that have one.
    async fn accounts(&self) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        for (n, number) in NUMBERS.iter().enumerate() {
            if let Ok(Some(account)) = self.ctx.accounts.find(number).await {
                found.push((n, account.id));
            }
        }
        found
    }

    /// Every entry the index lists at the world's time.
    pub async fn listed(&self) -> Listed {
        let mut listed = Listed::new();
        for (_, account) in self.accounts().await {
            let entries = self.ctx.sessions.list(&account, self.now()).await;
            for entry in entries.expect("memory index") {
                listed.insert((account.clone(), entry.handle));
            }
        }
        listed
    }

    /// Every browser's stored user, in browser order.
    pub async fn users(&self) -> Vec<Option<SignedInUser>> {
        let mut users = Vec::new();
        for b in 0..self.cookies.len() {
            users.push(self.stored_user(b).await);
        }
        users
    }

    /// No entry comes back once gone (`ever` and `gone` carry what earlier steps saw), and a
    /// browser's listed session is under the account of the number it is signed in as.
    pub async fn check_session_index(
        &self,
        ever: &mut HashSet<String>,
        gone: &mut HashSet<String>,
    ) -> Result<(), String> {
        let listed = self.listed().await;
        let now: HashSet<&String> = listed.iter().map(|(_, h)| h).collect();
        if let Some(back) = now.iter().find(|h| gone.contains(h.as_str())) {
            return Err(format!("ended session {back} is listed again"));
        }
        gone.extend(ever.iter().filter(|h| !now.contains(h)).cloned());
        ever.extend(now.into_iter().cloned());
        let accounts = self.accounts().await;
        for user in self.users().await.into_iter().flatten() {
            let Some((account, _)) = listed.iter().find(|(_, h)| *h == user.handle) else {
                continue;
            };
            let own = accounts
                .iter()
                .find(|(n, _)| NUMBERS[*n] == user.number.e164())
                .map(|(_, id)| id);
            if own != Some(account) {
                return Err(format!(
                    "{}'s session listed under {account}",
                    user.number.e164()
                ));
            }
        }
        Ok(())
    }
}

/// After a lone `op` that found `users` signed in (per their sessions) and `before` listed:
/// "Sign out" removed exactly its target when the caller's account listed it, nothing
/// otherwise; "Sign out everywhere else" left only the caller's session of its account.
pub fn check_lone_session_op(
    op: &Op,
    users: &[Option<SignedInUser>],
    before: &Listed,
    after: &Listed,
) -> Result<(), String> {
    let listed = |user: &Option<SignedInUser>| {
        user.as_ref()
            .filter(|u| before.contains(&(u.account_id.clone(), u.handle.clone())))
            .cloned()
    };
    match *op {
        Op::EndSession { browser, target } => {
            let (caller, victim) = (listed(&users[browser]), listed(&users[target]));
            let expected: Listed = match (caller, victim) {
                (Some(c), Some(v)) if c.account_id == v.account_id => {
                    let mut left = before.clone();
                    left.remove(&(v.account_id, v.handle));
                    left
                }
                _ => before.clone(),
            };
            match *after == expected {
                true => Ok(()),
                false => Err(format!(
                    "sign out {browser}→{target}: {before:?} became {after:?}"
                )),
            }
        }
        Op::EndOthers { browser } => {
            let Some(caller) = listed(&users[browser]) else {
                return match before == after {
                    true => Ok(()),
                    false => Err(format!("a signed-out {browser} changed {before:?}")),
                };
            };
            let expected: Listed = before
                .iter()
                .filter(|(a, h)| *a != caller.account_id || *h == caller.handle)
                .cloned()
                .collect();
            match *after == expected {
                true => Ok(()),
                false => Err(format!(
                    "everywhere else by {browser}: {before:?} became {after:?}"
                )),
            }
        }
        _ => Ok(()),
    }
}
