//! Channels: the ways a request can reach a company.
//!
//! A company accepts some of them (its policy says which,
//! [`crate::policy::Policy::channels`]); the user picks one with `--via`
//! (`dsr send`, `remind`, `complain`, `dispatched`). Each channel maps onto
//! one or two delivery routes of [`crate::ops::deliver`]: email goes over
//! SMTP, or to the outbox for the user's own mail client; post and web
//! form letters are files the user posts or pastes, so nothing is sent
//! until the user records it with `dsr dispatched`.
//!
//! A fax number is kept in a policy as data, but dsr sends no faxes: it is
//! not a channel here.
//!
//! ```
//! use dsr::channel::Channel;
//! assert_eq!("webform".parse::<Channel>().unwrap(), Channel::Webform);
//! assert_eq!(Channel::Post.to_string(), "post");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// One way a request reaches a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// By email: over SMTP, or written to the outbox and sent from the
    /// user's own mail client.
    Email,
    /// By post: a PDF letter (DIN 5008) to print, sign and post.
    Post,
    /// Through the company's web form: the letter text to paste.
    Webform,
}

impl Channel {
    /// Every channel, in the order dsr prefers them (email where it can).
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Post, Channel::Webform];

    /// The name as written on the command line and in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Post => "post",
            Channel::Webform => "webform",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a channel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("parse.channel", value = self.0))]
pub struct UnknownChannel(pub String);

impl std::str::FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(s: &str) -> Result<Channel, UnknownChannel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownChannel(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), c);
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.as_str()));
        }
        assert!("fax".parse::<Channel>().is_err());
    }
}
