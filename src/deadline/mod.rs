//! Deadlines under Art. 12(3) GDPR, counted under Reg. (EEC, Euratom) 1182/71.
//!
//! A leaf module: dates and calendars in, dates out. See [`calendar`] for the
//! public-holiday calendars of the place where a controller must act.

pub mod calendar;

pub use calendar::{CalendarCode, UnknownCalendar};
