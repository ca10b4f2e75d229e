"""Locust users for ``GET /api/v1/locate`` on random points over the benchmark's national wards."""
import random

from locust import FastHttpUser, constant_throughput, task

# Boxes of dense urban areas and of the whole country (lon_min, lat_min, lon_max, lat_max).
BOXES = [(105.75, 20.95, 105.90, 21.08), (106.60, 10.70, 106.80, 10.85), (107.50, 16.40, 107.65, 16.52),
         (102.2, 8.6, 109.4, 23.3)]


class Resident(FastHttpUser):
    wait_time = constant_throughput(10)  # each client: about 10 lookups a second

    @task
    def locate(self):
        x0, y0, x1, y1 = random.choice(BOXES)
        lon, lat = random.uniform(x0, x1), random.uniform(y0, y1)
        with self.client.get(f"/api/v1/locate?lat={lat:.6f}&lon={lon:.6f}", name="/api/v1/locate",
                             catch_response=True) as response:
            if response.status_code in (200, 422):
                response.success()
