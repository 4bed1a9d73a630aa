use std::collections::HashMap;

use chrono::{TimeZone, Utc};

use super::*;

const APPOINTMENT: &str = "aftersales.reception.v1.AppointmentRequested";
const CONFIRMED: &str = "aftersales.reception.v1.AppointmentConfirmed";

/// A schema of two events: the appointment request (id, urgent, wished_at, channel) and its confirmation.
struct TwoEvents;

impl Schema for TwoEvents {
    fn field(&self, event: &str, path: &str) -> Option<FieldKind> {
        match (event, path) {
            (APPOINTMENT | CONFIRMED, "") => Some(FieldKind::Other),
            (APPOINTMENT | CONFIRMED, "appointment_id") => Some(FieldKind::Text),
            (APPOINTMENT, "urgent") => Some(FieldKind::Bool),
            (APPOINTMENT, "wished_at") => Some(FieldKind::Time),
            (APPOINTMENT, "channel") => Some(FieldKind::Int),
            _ => None,
        }
    }
}

const SET: &str = r#"
[[ladder]]
name = "dealer"
levels = ["assignee", "dealer_manager", "support_lead"]

[[policy]]
name = "fast_lane"
subject_kind = "appointment"
start = [{ event = "aftersales.reception.v1.AppointmentRequested", subject = "appointment_id" }]
conditions = [{ field = "urgent", op = "eq", value = true }]
due = { after = "1h" }
met_by = [{ event = "aftersales.reception.v1.AppointmentConfirmed", subject = "appointment_id" }]
ladder = "dealer"
re_escalate_after = "30m"
"#;

fn set() -> PolicySet {
    PolicySet::from_toml(SET).unwrap()
}

fn request(urgent: bool) -> HashMap<&'static str, FieldValue> {
    HashMap::from([
        ("appointment_id", FieldValue::Text("A-1".into())),
        ("urgent", FieldValue::Bool(urgent)),
        ("wished_at", FieldValue::Time(Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap())),
    ])
}

#[test]
fn a_policy_is_read_from_its_toml_form_and_checked_against_the_events() {
    let set = set();
    assert_eq!(set.check(&TwoEvents), Ok(()));
    let policy = set.policy("fast_lane").unwrap();
    assert_eq!(policy.due, DueRule::After { after: Span::parse("1h").unwrap() });
    assert_eq!(set.ladder("dealer").unwrap().levels.len(), 3);
}

#[test]
fn the_condition_decides_which_events_start_a_clock() {
    let policy = set().policy("fast_lane").unwrap().clone();
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
    let due = at + chrono::Duration::hours(1);
    assert_eq!(policy.starts(APPOINTMENT, &request(true), at), Some(("A-1".to_string(), due)));
    assert_eq!(policy.starts(APPOINTMENT, &request(false), at), None, "only urgent requests");
    assert_eq!(policy.starts(CONFIRMED, &request(true), at), None, "not a starting event");
}

#[test]
fn a_meeting_event_names_its_subject_by_the_policys_field() {
    let policy = set().policy("fast_lane").unwrap().clone();
    let confirmed = HashMap::from([("appointment_id", FieldValue::Text("A-1".into()))]);
    assert_eq!(policy.meets(CONFIRMED, &confirmed), Some("A-1".to_string()));
    assert_eq!(policy.stops(CONFIRMED, &confirmed), None);
}

#[test]
fn due_is_the_event_time_plus_the_duration_or_a_time_field_plus_an_offset() {
    let mut policy = set().policy("fast_lane").unwrap().clone();
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
    let trigger = policy.start[0].clone();
    assert_eq!(policy.first_due(&trigger, &request(true), at), Some(at + chrono::Duration::hours(1)));
    policy.due = DueRule::AtField { field: "wished_at".into(), offset: Span::parse("-30m").unwrap() };
    let due = Utc.with_ymd_and_hms(2026, 12, 7, 8, 30, 0).unwrap();
    assert_eq!(policy.first_due(&trigger, &request(true), at), Some(due));
    let other = Trigger { time: Some("confirmed_at".into()), ..trigger };
    let confirmed = HashMap::from([("confirmed_at", FieldValue::Time(at))]);
    assert_eq!(
        policy.first_due(&other, &confirmed, at),
        Some(at - chrono::Duration::minutes(30)),
        "the trigger's own time field"
    );
}

#[test]
fn comparisons_read_like_the_rule() {
    let hours = |op, value| Condition { field: "estimated_hours".into(), op, value: Literal::Int(value) };
    let job = HashMap::from([("estimated_hours", FieldValue::Int(250))]);
    assert!(hours(Op::Gt, 200).holds(&job));
    assert!(!hours(Op::Le, 200).holds(&job));
    assert!(hours(Op::Ne, 200).holds(&job));
    assert!(!Condition { field: "estimated_hours".into(), op: Op::Eq, value: Literal::Bool(true) }.holds(&job));
    assert!(!hours(Op::Gt, 0).holds(&HashMap::new()), "a missing field never holds");
}

#[test]
fn a_set_that_names_what_does_not_exist_is_refused_with_where() {
    let broken = |from: &str, to: &str| PolicySet::from_toml(&SET.replace(from, to)).unwrap().check(&TwoEvents);
    let path = |result: Result<(), PolicyError>| result.unwrap_err().path;
    assert_eq!(path(broken("v1.AppointmentConfirmed", "v1.AppointmentConfirmd")), "policy[0].met_by[0].event");
    assert_eq!(path(broken("field = \"urgent\"", "field = \"urgnt\"")), "policy[0].conditions[0]");
    assert_eq!(path(broken("value = true", "value = 3")), "policy[0].conditions[0]");
    assert_eq!(path(broken("ladder = \"dealer\"\nre", "ladder = \"oem\"\nre")), "policy[0].ladder");
    assert_eq!(path(broken("after = \"1h\"", "field = \"appointment_id\"")), "policy[0].due.field");
    assert_eq!(
        path(broken("subject = \"appointment_id\" }]\nconditions", "subject = \"urgent\" }]\nconditions")),
        "policy[0].start[0].subject"
    );
    assert!(PolicySet::from_toml(&SET.replace("after = \"1h\"", "after = \"1 hour\"")).is_err());
}

#[test]
fn dealer_hours_count_only_a_duration_after_the_event() {
    let hours = |extra: &str| {
        PolicySet::from_toml(&SET.replace("ladder = \"dealer\"\nre", &format!("{extra}\nladder = \"dealer\"\nre")))
    };
    assert_eq!(hours("calendar = \"dealer_hours\"").unwrap().check(&TwoEvents), Ok(()));
    let on_a_field = hours("calendar = \"dealer_hours\"").unwrap();
    let mut on_a_field = on_a_field;
    on_a_field.policies[0].due = DueRule::AtField { field: "wished_at".into(), offset: Span::default() };
    assert_eq!(on_a_field.check(&TwoEvents).unwrap_err().path, "policy[0].calendar");
    assert!(hours("calendar = \"weekends\"").is_err(), "an unknown calendar");
}

#[test]
fn a_meeting_or_stopping_event_counts_only_where_its_own_conditions_hold() {
    // Only an urgent re-request stops the clock; a plain one leaves it running.
    let text = SET.replace(
        "ladder = \"dealer\"\n",
        "stopped_by = [{ event = \"aftersales.reception.v1.AppointmentRequested\", subject = \"appointment_id\", \
         conditions = [{ field = \"urgent\", op = \"eq\", value = true }] }]\nladder = \"dealer\"\n",
    );
    let set = PolicySet::from_toml(&text).unwrap();
    assert_eq!(set.check(&TwoEvents), Ok(()));
    let policy = set.policy("fast_lane").unwrap();
    assert_eq!(policy.stops(APPOINTMENT, &request(true)), Some("A-1".into()));
    assert_eq!(policy.stops(APPOINTMENT, &request(false)), None);
}

#[test]
fn a_trigger_condition_on_a_field_the_event_lacks_is_refused_naming_it() {
    let text = SET.replace(
        "met_by = [{ event = \"aftersales.reception.v1.AppointmentConfirmed\", subject = \"appointment_id\" }]",
        "met_by = [{ event = \"aftersales.reception.v1.AppointmentConfirmed\", subject = \"appointment_id\", \
         conditions = [{ field = \"urgent\", op = \"eq\", value = true }] }]",
    );
    let error = PolicySet::from_toml(&text).unwrap().check(&TwoEvents).unwrap_err();
    assert_eq!(error.path, "policy[0].met_by[0].conditions[0]");
}

#[test]
fn a_policy_continues_only_another_policy_of_the_same_subject_kind() {
    let continuing = format!(
        "{SET}\n[[policy]]\nname = \"slow_lane\"\nsubject_kind = \"appointment\"\n\
         start = [{{ event = \"{APPOINTMENT}\", subject = \"appointment_id\" }}]\ndue = {{ after = \"2h\" }}\n\
         met_by = [{{ event = \"{CONFIRMED}\", subject = \"appointment_id\" }}]\nladder = \"dealer\"\n\
         continues = [\"fast_lane\"]\n"
    );
    assert_eq!(PolicySet::from_toml(&continuing).unwrap().check(&TwoEvents), Ok(()));
    let unknown = continuing.replace("continues = [\"fast_lane\"]", "continues = [\"no_such\"]");
    let error = PolicySet::from_toml(&unknown).unwrap().check(&TwoEvents).unwrap_err();
    assert_eq!(error.path, "policy[1].continues[0]");
}

/// A schema with a waiving event: the appointment's waiver, decided.
struct WithWaiver;

const WAIVED: &str = "aftersales.reception.v1.AppointmentWaiverDecided";

impl Schema for WithWaiver {
    fn field(&self, event: &str, path: &str) -> Option<FieldKind> {
        match (event, path) {
            (WAIVED, "" | "approved") => Some(if path.is_empty() { FieldKind::Other } else { FieldKind::Bool }),
            (WAIVED, "appointment_id" | "reason" | "decided_by") => Some(FieldKind::Text),
            _ => TwoEvents.field(event, path),
        }
    }
}

#[test]
fn an_approved_waiver_event_waives_the_clock_its_policy_names() {
    let waived_by = format!(
        "waived_by = [{{ event = \"{WAIVED}\", subject = \"appointment_id\", \
         conditions = [{{ field = \"approved\", op = \"eq\", value = true }}] }}]\nladder = \"dealer\"\n"
    );
    let waiving = PolicySet::from_toml(&SET.replace("ladder = \"dealer\"\n", &waived_by)).unwrap();
    assert_eq!(waiving.check(&WithWaiver), Ok(()));
    let policy = waiving.policy("fast_lane").unwrap();
    let decided = |approved: bool| {
        HashMap::from([("appointment_id", FieldValue::Text("A-1".into())), ("approved", FieldValue::Bool(approved))])
    };
    assert_eq!(policy.waives(WAIVED, &decided(true)), Some("A-1".into()));
    assert_eq!(policy.waives(WAIVED, &decided(false)), None, "a rejection waives nothing");
    assert_eq!(policy.meets(WAIVED, &decided(true)), None);
    assert_eq!(policy.waives(CONFIRMED, &decided(true)), None, "not a waiving event");

    // Without the waiver in its data, the same event waives nothing.
    assert_eq!(set().policy("fast_lane").unwrap().waives(WAIVED, &decided(true)), None);
}

#[test]
fn a_waiving_event_must_say_why_and_who_decided() {
    let waived_by =
        format!("waived_by = [{{ event = \"{CONFIRMED}\", subject = \"appointment_id\" }}]\nladder = \"dealer\"\n");
    let set = PolicySet::from_toml(&SET.replace("ladder = \"dealer\"\n", &waived_by)).unwrap();
    let error = set.check(&WithWaiver).unwrap_err();
    assert_eq!(
        (error.path.as_str(), error.message.as_str()),
        ("policy[0].waived_by[0].event", "needs the text fields `reason` and `decided_by`")
    );
}
