"""Locust users filing reports (no photos) through ``POST /api/v1/reports``, like the phone page."""
import random
import uuid

from locust import FastHttpUser, events, task

CATEGORIES = ["garbage", "illegal_dumping", "encroachment", "pothole", "street_light", "illegal_parking"]
HUE_CENTRE = (107.555, 16.440, 107.615, 16.490)  # lon/lat box over Phú Xuân, Thuận Hóa, Kim Long


ACKNOWLEDGED: list[str] = []  # tracking codes of the 201 responses


@events.init_command_line_parser.add_listener
def add_arguments(parser):
    parser.add_argument("--run-id", default="bench", help="marks this run's reports")
    parser.add_argument("--acked-file", default="", help="where to write the acknowledged codes")


@events.quitting.add_listener
def write_acknowledged(environment, **kwargs):
    if environment.parsed_options.acked_file:
        with open(environment.parsed_options.acked_file, "w") as handle:
            handle.write("\n".join(ACKNOWLEDGED))


class Resident(FastHttpUser):
    def on_start(self):
        self.token = self.client.get("/api/v1/csrf-token").json()["csrf_token"]

    @task
    def submit(self):
        x0, y0, x1, y1 = HUE_CENTRE
        body = {"category": random.choice(CATEGORIES),
                "description": f"[synthetic benchmark {self.environment.parsed_options.run_id}] "
                               "Rác thải tập kết sai nơi quy định",
                "lat": round(random.uniform(y0, y1), 6), "lon": round(random.uniform(x0, x1), 6),
                "acknowledge_duplicate": True}
        headers = {"X-CSRFToken": self.token, "Idempotency-Key": str(uuid.uuid4())}
        with self.client.post("/api/v1/reports", json=body, headers=headers, name="/api/v1/reports",
                              catch_response=True) as response:
            if response.status_code == 201:
                ACKNOWLEDGED.append(response.json()["tracking_code"])
                response.success()
            else:
                response.failure(f"status {response.status_code}")
