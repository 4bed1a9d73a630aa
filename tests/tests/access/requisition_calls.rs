//! The harness's calls of parts' requisition and warranty RPCs: each on a fresh requisition of dealer A's / B's parts job in the
//! state the call needs ('missing': an id that does not exist).

use std::time::Duration;

use aftersales_e2e::{Bearer, Caller, wait};
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::parts::v1::warranty_service_client::WarrantyServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use super::Target;
use super::calls::code;
use super::world::World;

/// How far a fixture requisition is brought.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Requested,
    Approved,
    Issued,
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn client(
    channel: Channel,
    token: String,
) -> RequisitionServiceClient<tonic::service::interceptor::InterceptedService<Channel, Bearer>> {
    RequisitionServiceClient::with_interceptor(channel, Bearer(Some(token)))
}

/// A fresh requisition of one piece of the dealer's store part for its parts job, brought to `stage` by that
/// dealer's technician, advisor and clerk (waiting, bounded, until parts knows the job from the feeds).
async fn requisition(world: &World, own: bool, stage: Stage) -> String {
    let (dealer, job, store) = if own {
        (&world.dealer_a, &world.parts_job_a, &world.store_a)
    } else {
        (&world.dealer_b, &world.parts_job_b, &world.store_b)
    };
    let (channel, data) = (world.channels["parts"].clone(), world.data());
    let technician = client(channel.clone(), Caller::dealer("technician", dealer).token(&data));
    let ask = parts::RequestPartsRequest {
        request_id: String::new(),
        job_id: job.clone(),
        part_number: store.part.clone(),
        quantity_hundredths: 100,
    };
    let requisition = wait::until(Duration::from_secs(20), "parts to know the harness's parts job", || {
        let (mut technician, request) =
            (technician.clone(), parts::RequestPartsRequest { request_id: id(), ..ask.clone() });
        async move { technician.request_parts(request).await.ok().map(|r| r.into_inner().id) }
    })
    .await;
    if stage >= Stage::Approved {
        let mut advisor = client(channel.clone(), Caller::dealer("service_advisor", dealer).token(&data));
        let approve = parts::ApproveRequisitionRequest { request_id: id(), requisition_id: requisition.clone() };
        advisor.approve_requisition(approve).await.expect("approve");
    }
    if stage >= Stage::Issued {
        let mut clerk = client(channel, Caller::dealer("parts_clerk", dealer).token(&data));
        clerk.issue_requisition(issue(&requisition, &store.warehouse)).await.expect("issue");
    }
    requisition
}

fn issue(requisition: &str, warehouse: &str) -> parts::IssueRequisitionRequest {
    parts::IssueRequisitionRequest {
        request_id: id(),
        requisition_id: requisition.into(),
        warehouse_id: warehouse.into(),
        quantity_hundredths: 100,
        batch: String::new(),
    }
}

/// A requisition at `stage` for 'own' / 'foreign', a made-up id for 'missing'.
async fn target_requisition(world: &World, target: Target, stage: Stage) -> String {
    match target {
        Target::Own => requisition(world, true, stage).await,
        Target::Foreign => requisition(world, false, stage).await,
        Target::Missing => id(),
    }
}

/// Makes the call; `None` when the method is not one of parts' requisition RPCs.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let mut requisitions = client(world.channels[at].clone(), world.token(role, at));
    let warehouse = world.store_a.warehouse.clone();
    if let Some(rest) = method.strip_prefix("aftersales.parts.v1.WarrantyService/") {
        let mut warranty =
            WarrantyServiceClient::with_interceptor(world.channels[at].clone(), Bearer(Some(world.token(role, at))));
        let vin = aftersales_e2e::fixtures::fresh_vin();
        return Some(match rest {
            "ReportPartFailure" => {
                let now = chrono::Utc::now();
                let request = parts::ReportPartFailureRequest {
                    request_id: id(),
                    vin,
                    part_number: world.store_a.part.clone(),
                    failure_time: Some(prost_types::Timestamp { seconds: now.timestamp(), nanos: 0 }),
                    mileage_km: 50_000,
                    evidence_references: vec!["photo://failure".into()],
                };
                code(warranty.report_part_failure(request).await)
            }
            _ => code(warranty.list_fittings(parts::ListFittingsRequest { vin }).await),
        });
    }
    let code = match method.strip_prefix("aftersales.parts.v1.RequisitionService/")? {
        "RequestParts" => {
            let job_id = match target {
                Target::Own => world.parts_job_a.clone(),
                Target::Foreign => world.parts_job_b.clone(),
                Target::Missing => id(),
            };
            let request = parts::RequestPartsRequest {
                request_id: id(),
                job_id,
                part_number: world.store_a.part.clone(),
                quantity_hundredths: 100,
            };
            if target == Target::Own {
                requisition(world, true, Stage::Requested).await; // parts knows the job by now
            }
            code(requisitions.request_parts(request).await)
        }
        "ApproveRequisition" => {
            let requisition_id = target_requisition(world, target, Stage::Requested).await;
            code(
                requisitions
                    .approve_requisition(parts::ApproveRequisitionRequest { request_id: id(), requisition_id })
                    .await,
            )
        }
        "RefuseRequisition" => {
            let requisition_id = target_requisition(world, target, Stage::Requested).await;
            let reason = "not needed".to_string();
            code(
                requisitions
                    .refuse_requisition(parts::RefuseRequisitionRequest { request_id: id(), requisition_id, reason })
                    .await,
            )
        }
        "IssueRequisition" => {
            let requisition_id = target_requisition(world, target, Stage::Approved).await;
            code(requisitions.issue_requisition(issue(&requisition_id, &warehouse)).await)
        }
        "ReturnParts" => {
            let requisition_id = target_requisition(world, target, Stage::Issued).await;
            let request = parts::ReturnPartsRequest {
                request_id: id(),
                requisition_id,
                warehouse_id: warehouse,
                bin: "A-01".into(),
                batch: "L-2026-01".into(),
                quantity_hundredths: 100,
            };
            code(requisitions.return_parts(request).await)
        }
        "GetRequisition" => {
            let requisition_id = target_requisition(world, target, Stage::Requested).await;
            code(requisitions.get_requisition(parts::GetRequisitionRequest { id: requisition_id }).await)
        }
        "ListRequisitions" => {
            let job_id = match target {
                Target::Own => world.parts_job_a.clone(),
                Target::Foreign => world.parts_job_b.clone(),
                Target::Missing => id(),
            };
            if target != Target::Missing {
                requisition(world, target == Target::Own, Stage::Requested).await; // parts knows the job by now
            }
            code(requisitions.list_requisitions(parts::ListRequisitionsRequest { job_id, ..Default::default() }).await)
        }
        _ => return None,
    };
    Some(code)
}
