package service

import (
	"context"
	"fmt"
)

// demoTask is one of Northwind's tasks: its input (Due in days from today), how many checklist items are ticked
// and whether it is then completed (a recurring one creates its next occurrence).
type demoTask struct {
	in     TaskInput
	ticked int // -1: every item
	done   bool
}

// demoTasks implement applicable controls: the quarterly access review (done, so its next quarter is open), a
// yearly restore test under way, two overdue, one of Maya's (the owner who signs in first) and a finished playbook.
var demoTasks = []demoTask{
	{TaskInput{Title: "Quarterly access review", Control: "5.18", Assignee: "carlos@northwind.example", Due: "-5", Recurrence: "quarterly",
		Description: "Managers confirm who may use each SaaS tool and production; leavers and unused accounts are removed."}, -1, true},
	{TaskInput{Title: "Yearly restore test of the customer database", Control: "8.13", Assignee: "jonas@northwind.example", Due: "+40",
		Recurrence: "yearly", Status: "in-progress", Notes: "Restore into the staging account, then time it against the 4-hour target."}, 1, false},
	{TaskInput{Title: "Make the secure coding rules part of every code review", Control: "8.28", Assignee: "sofia@northwind.example", Due: "-12",
		Status: "in-progress"}, 2, false},
	{TaskInput{Title: "Run this year's security awareness training", Control: "6.3", Assignee: "lena@northwind.example", Due: "-3"}, 0, false},
	{TaskInput{Title: "Sign off the reviewed policy set", Control: "5.1", Assignee: "maya@northwind.example", Due: "+14",
		Items: []string{"Read the changes since last year", "Approve each policy in praxis", "Tell all staff where to find them"}}, 0, false},
	{TaskInput{Title: "Check the endpoint protection report", Control: "8.7", Assignee: "carlos@northwind.example", Due: "+10", Recurrence: "monthly",
		Items: []string{"Every laptop reported in the last 7 days", "No open detections older than a day"}}, 0, false},
	{TaskInput{Title: "Write the incident response playbook", Control: "5.26", Assignee: "jonas@northwind.example", Due: "-20",
		Items: []string{"Roles and contacts", "Severity levels", "First hour steps", "Template for the post-incident review"}}, -1, true},
}

// demoTaskList adds the tasks a day before today, after every other step of the sample, ticking and completing
// them as their assignees would.
func (s *Service) demoTaskList(ctx context.Context, members map[string]Actor, clock *demoClock) error {
	ciso := WithActor(ctx, members["daniel@northwind.example"])
	clock.hoursAgo(demoTasksHours)
	for _, d := range demoTasks {
		fail := func(err error) error { return fmt.Errorf("demo task %s: %w", d.in.Title, err) }
		clock.minutes(7)
		in := d.in
		in.Due = relativeDay(clock.today, in.Due)
		t, err := s.AddTask(ciso, in)
		if err != nil {
			return fail(err)
		}
		for i, c := range t.Checklist {
			if d.ticked >= 0 && i >= d.ticked {
				break
			}
			clock.minutes(3)
			if t, err = s.TickTaskItem(ciso, t.Ref, c.Position, true); err != nil {
				return fail(err)
			}
		}
		if d.done {
			clock.minutes(5)
			if _, err := s.CompleteTask(ciso, t.Ref, t.Version, false); err != nil {
				return fail(err)
			}
		}
	}
	return nil
}
