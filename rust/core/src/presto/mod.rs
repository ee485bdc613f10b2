//! Presto's side of the data: its types, the layout of its blocks, and the conversion of Arrow
//! arrays into that layout ([`to_presto`]) and back ([`from_presto`]).

pub mod from_presto;
pub mod layout;
pub mod to_presto;
pub mod types;

#[cfg(test)]
mod round_trip_tests;
#[cfg(test)]
mod test_arrays;
