"""Locust users asking for the 5 nearest service points from random places in Vietnam."""
import random

from locust import FastHttpUser, constant_throughput, task


class Resident(FastHttpUser):
    wait_time = constant_throughput(10)  # each client: about 10 searches a second

    @task
    def nearest(self):
        lat, lon = random.uniform(8.8, 23.2), random.uniform(102.2, 109.4)
        self.client.get(f"/api/v1/service-points/nearest?lat={lat:.5f}&lon={lon:.5f}&limit=5",
                        name="/api/v1/service-points/nearest")
