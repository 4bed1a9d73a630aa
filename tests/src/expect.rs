//! Assertions shared by the bad-input tables.

use tonic::Code;
use tonic_types::StatusExt;

/// A change to a valid request that makes one field bad: (the field the error must name, the case, the change).
pub type Mutation<T> = (&'static str, &'static str, fn(&mut T));

/// Asserts that `result` is INVALID_ARGUMENT whose BadRequest details name `field` (among others).
pub fn names_field(result: Result<impl std::fmt::Debug, tonic::Status>, field: &str, case: &str) {
    let status = result.expect_err(case);
    assert_eq!(status.code(), Code::InvalidArgument, "{case}: {status:?}");
    let fields: Vec<String> = status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default();
    assert!(fields.iter().any(|f| f == field), "{case}: expected a violation of {field}, got {fields:?}");
}
