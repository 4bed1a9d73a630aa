//! Workshop's technicians end to end: a dealer manager registers a staff member (idempotent; the same subject again
//! is ALREADY_EXISTS) → a foreman records a failed then a passed assessment (skills show only the passed level) →
//! the technician goes on shift (on_shift_since set) and "on shift" again publishes nothing → ListTechnicians
//! filters on shift → another dealer's staff get NOT_FOUND → every change is on workshop's feed.

use aftersales_e2e::clients::{self, all_events};
use aftersales_e2e::fixtures::{record_training, register_technician};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_proto::workshop::v1 as workshop;
use aftersales_proto::workshop::v1::technician_service_client::TechnicianServiceClient;
use prost::Message;
use tonic::Code;

#[tokio::test(flavor = "multi_thread")]
async fn technicians_earn_skills_from_passed_assessments_and_shift_changes_are_published_once() {
    let mut suite = Suite::start(Backend::Sqlite, &["workshop"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let other_dealer = aftersales_kernel::DealerId::new().to_string();
    let service = suite.service("workshop");
    let channel = service.channel().await;
    let as_ = |role: &str, dealer: &str| {
        TechnicianServiceClient::with_interceptor(
            channel.clone(),
            Bearer(Some(Caller::dealer(role, dealer).token(&data))),
        )
    };
    let mut manager = as_("dealer_manager", &dealer);
    let mut foreman = as_("foreman", &dealer);

    // Register; the same request again answers the same; another request for the same subject is refused.
    let request = register_technician();
    let registered = manager.register_technician(request.clone()).await.unwrap().into_inner();
    assert_eq!(
        (registered.dealer_id.as_str(), registered.subject.as_str()),
        (dealer.as_str(), request.subject.as_str())
    );
    assert!(!registered.on_shift && registered.on_shift_since.is_none());
    assert!(registered.skills.is_empty() && registered.training.is_empty());
    assert_eq!(manager.register_technician(request.clone()).await.unwrap().into_inner(), registered);
    let again = workshop::RegisterTechnicianRequest { request_id: uuid::Uuid::now_v7().to_string(), ..request.clone() };
    assert_eq!(manager.register_technician(again).await.unwrap_err().code(), Code::AlreadyExists);
    // The same subject in another dealer is another technician.
    let elsewhere = workshop::RegisterTechnicianRequest { request_id: uuid::Uuid::now_v7().to_string(), ..request };
    let mut other_manager = as_("dealer_manager", &other_dealer);
    other_manager.register_technician(elsewhere).await.unwrap();
    let id = registered.id.clone();

    // A failed level-4 assessment earns nothing; a passed level-3 one earns engine 3. Both stay on record.
    let failed = workshop::RecordTrainingRequest {
        level: 4,
        result: workshop::AssessmentResult::Failed as i32,
        ..record_training(&id)
    };
    let after_failed = foreman.record_training(failed).await.unwrap().into_inner();
    assert!(after_failed.skills.is_empty(), "{after_failed:?}");
    let passed = record_training(&id);
    let trained = foreman.record_training(passed.clone()).await.unwrap().into_inner();
    assert_eq!(trained.skills, [workshop::Skill { skill_family: "engine".into(), level: 3 }]);
    assert_eq!(
        trained.training.iter().map(|r| (r.level, r.result)).collect::<Vec<_>>(),
        [(4, workshop::AssessmentResult::Failed as i32), (3, workshop::AssessmentResult::Passed as i32)]
    );
    assert_eq!(trained.training[1].completed_on, "2026-03-01");
    // Replaying the request appends nothing.
    assert_eq!(foreman.record_training(passed).await.unwrap().into_inner(), trained);

    // On shift: the moment is recorded. On shift again: nothing changes.
    let shift = |on_shift| workshop::SetShiftRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        technician_id: id.clone(),
        on_shift,
    };
    let on = foreman.set_shift(shift(true)).await.unwrap().into_inner();
    assert!(on.on_shift);
    assert!(on.on_shift_since.is_some());
    assert_eq!(on.on_shift_since, on.update_time);
    let still_on = foreman.set_shift(shift(true)).await.unwrap().into_inner();
    assert_eq!(still_on, on);

    // A second technician stays off shift: on_shift_only lists only the first.
    let off = manager.register_technician(register_technician()).await.unwrap().into_inner();
    let mut advisor = as_("service_advisor", &dealer);
    let all = advisor.list_technicians(workshop::ListTechniciansRequest::default()).await.unwrap().into_inner();
    assert_eq!(all.technicians.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), [id.as_str(), off.id.as_str()]);
    let on_shift = workshop::ListTechniciansRequest { on_shift_only: true, ..Default::default() };
    let listed = advisor.list_technicians(on_shift).await.unwrap().into_inner();
    assert_eq!(listed.technicians, std::slice::from_ref(&on));
    assert_eq!(
        advisor.get_technician(workshop::GetTechnicianRequest { id: id.clone() }).await.unwrap().into_inner(),
        on
    );

    // Another dealer's advisor: NOT_FOUND, like a missing id; and their list does not show it.
    let mut foreign = as_("service_advisor", &other_dealer);
    let status = foreign.get_technician(workshop::GetTechnicianRequest { id: id.clone() }).await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let theirs = foreign.list_technicians(workshop::ListTechniciansRequest::default()).await.unwrap().into_inner();
    assert!(theirs.technicians.iter().all(|t| t.id != id));

    // The feed: registered, two trainings, one shift change — the repeated "on shift" published nothing.
    let mut feed = clients::feed(service, &Caller::role("oem_manager").token(&data)).await;
    let events: Vec<_> = all_events(&mut feed).await.into_iter().filter(|e| e.aggregate_id == id).collect();
    assert!(events.iter().all(|e| e.aggregate_type == "technician"));
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "aftersales.workshop.v1.TechnicianRegistered",
            "aftersales.workshop.v1.TrainingRecorded",
            "aftersales.workshop.v1.TrainingRecorded",
            "aftersales.workshop.v1.ShiftChanged",
        ]
    );
    let changed = workshop::ShiftChanged::decode(events[3].payload.as_ref().unwrap().value.as_slice()).unwrap();
    assert_eq!(
        (changed.technician_id.as_str(), changed.dealer_id.as_str(), changed.on_shift),
        (id.as_str(), dealer.as_str(), true)
    );
    assert_eq!(changed.at, on.on_shift_since);
    let recorded = workshop::TrainingRecorded::decode(events[1].payload.as_ref().unwrap().value.as_slice()).unwrap();
    assert_eq!((recorded.skill_family.as_str(), recorded.level), ("engine", 4));
    assert_eq!(recorded.result, workshop::AssessmentResult::Failed as i32);
}

/// Concurrent changes to one technician on PostgreSQL take turns (the row is locked for the change): eight
/// trainings recorded at once are all kept, none refused.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_trainings_of_one_technician_are_all_recorded() {
    let Some(mut suite) = Suite::start(Backend::Postgres, &["workshop"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let channel = suite.service("workshop").channel().await;
    let client = |role: &str| {
        TechnicianServiceClient::with_interceptor(
            channel.clone(),
            Bearer(Some(Caller::dealer(role, &dealer).token(&data))),
        )
    };
    let technician = client("dealer_manager").register_technician(register_technician()).await.unwrap().into_inner();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let mut foreman = client("foreman");
            let request = record_training(&technician.id);
            tokio::spawn(async move { foreman.record_training(request).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every concurrent training is recorded");
    }
    let read = client("foreman")
        .get_technician(workshop::GetTechnicianRequest { id: technician.id.clone() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(read.training.len(), 8);
}
