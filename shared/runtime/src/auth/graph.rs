//! The feed graph of ARCHITECTURE.md: who follows whom. It is also the allow-list for service tokens (a service
//! may call exactly the feeds of the services it follows) and, later, the NetworkPolicy graph.

/// (service, the services whose feeds it follows).
pub const FOLLOWS: [(&str, &[&str]); 5] = [
    ("reception", &["workshop", "parts", "escalation"]),
    ("workshop", &["reception"]),
    ("parts", &["reception", "workshop", "supplier"]),
    ("escalation", &["reception", "workshop", "parts", "supplier"]),
    ("supplier", &["escalation", "parts"]),
];

/// The RPCs of a feed.
pub const FEED_METHODS: [&str; 2] =
    ["/aftersales.common.v1.EventFeedService/ListEvents", "/aftersales.common.v1.EventFeedService/WatchEvents"];

/// Whether service `caller` may call `path` on service `callee`.
pub fn service_may_call(caller: &str, callee: &str, path: &str) -> bool {
    FEED_METHODS.contains(&path)
        && FOLLOWS.iter().any(|(follower, producers)| *follower == caller && producers.contains(&callee))
}

/// The feeds `service` follows.
pub fn follows(service: &str) -> &'static [&'static str] {
    FOLLOWS.iter().find(|(name, _)| *name == service).map(|(_, p)| *p).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workshop_may_read_receptions_feed_but_not_parts() {
        assert!(service_may_call("workshop", "reception", FEED_METHODS[1]));
        assert!(!service_may_call("workshop", "parts", FEED_METHODS[1]));
    }

    #[test]
    fn no_service_may_call_business_rpcs() {
        assert!(!service_may_call(
            "workshop",
            "reception",
            "/aftersales.reception.v1.RepairOrderService/CreateRepairOrder"
        ));
    }
}
