//! Opaque page tokens for keyset pagination.
//!
//! A token is `base64url("<list>|<last key>")`. It names the list it belongs to, so a token of another list (or
//! anything else a caller makes up) is INVALID_ARGUMENT on `page.page_token` rather than a silently wrong page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::errors::AppError;

/// Items per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 50;
/// Most items per page.
pub const MAX_PAGE_SIZE: u64 = 500;

/// A checked page request: how many, and after which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Items to return.
    pub size: u64,
    /// Key of the last item of the previous page.
    pub after: Option<String>,
}

impl Page {
    /// The cursor of a list keyed by UUID (UUIDv7 ids sort by creation): a token that is not one is
    /// INVALID_ARGUMENT on `page.page_token`.
    pub fn after_uuid(&self) -> Result<Option<uuid::Uuid>, AppError> {
        self.after
            .as_deref()
            .map(uuid::Uuid::try_parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))
    }

    /// Checks `page_size` and `page_token` of a list request for the list named `list`.
    pub fn parse(list: &str, request: Option<&aftersales_proto::common::v1::PageRequest>) -> Result<Page, AppError> {
        let Some(request) = request else {
            return Ok(Page { size: DEFAULT_PAGE_SIZE, after: None });
        };
        let size = match request.page_size {
            0 => DEFAULT_PAGE_SIZE,
            n if n < 0 || n as u64 > MAX_PAGE_SIZE => {
                return Err(AppError::invalid("page.page_size", format!("must be between 0 and {MAX_PAGE_SIZE}")));
            }
            n => n as u64,
        };
        let after = if request.page_token.is_empty() { None } else { Some(decode(list, &request.page_token)?) };
        Ok(Page { size, after })
    }

    /// The response part: a token for the next page when `fetched` had more than `size` rows.
    ///
    /// Callers fetch `size + 1` rows; the extra one only tells that there is more, and is dropped here.
    pub fn finish<T>(
        &self,
        list: &str,
        mut fetched: Vec<T>,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, aftersales_proto::common::v1::PageResponse) {
        let next_page_token = if fetched.len() as u64 > self.size {
            fetched.truncate(self.size as usize);
            fetched.last().map(|last| encode(list, &key(last))).unwrap_or_default()
        } else {
            String::new()
        };
        (fetched, aftersales_proto::common::v1::PageResponse { next_page_token })
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> u64 {
        self.size + 1
    }
}

fn encode(list: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}|{key}"))
}

fn decode(list: &str, token: &str) -> Result<String, AppError> {
    let invalid = || AppError::invalid("page.page_token", "is not a page token of this list");
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (owner, key) = text.split_once('|').ok_or_else(invalid)?;
    if owner != list || key.is_empty() {
        return Err(invalid());
    }
    Ok(key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftersales_proto::common::v1::PageRequest;

    #[test]
    fn a_token_round_trips_within_its_list() {
        let page = Page { size: 2, after: None };
        let (items, response) = page.finish("orders", vec!["a", "b", "c"], |s| s.to_string());
        assert_eq!(items, ["a", "b"]);
        let request = PageRequest { page_size: 2, page_token: response.next_page_token };
        assert_eq!(Page::parse("orders", Some(&request)).unwrap().after.as_deref(), Some("b"));
    }

    #[test]
    fn a_token_of_another_list_is_rejected() {
        let (_, response) = Page { size: 1, after: None }.finish("orders", vec!["a", "b"], |s| s.to_string());
        let request = PageRequest { page_size: 1, page_token: response.next_page_token };
        assert!(Page::parse("jobs", Some(&request)).is_err());
    }

    #[test]
    fn garbage_tokens_and_oversized_pages_are_rejected() {
        let garbage = PageRequest { page_size: 0, page_token: "%%%".into() };
        assert!(Page::parse("orders", Some(&garbage)).is_err());
        let huge = PageRequest { page_size: 501, page_token: String::new() };
        assert!(Page::parse("orders", Some(&huge)).is_err());
    }

    #[test]
    fn the_last_page_has_no_token() {
        let (_, response) = Page { size: 5, after: None }.finish("orders", vec![1, 2], |n| n.to_string());
        assert!(response.next_page_token.is_empty());
    }
}
