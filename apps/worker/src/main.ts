import { x } from "@panah/config"; console.log("worker", x);
